CREATE TABLE "recordings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"post_id" bigint NOT NULL,
	"uploader_id" bigint NOT NULL,
	"mime_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"duration_ms" bigint,
	"sha256" text,
	"state" text NOT NULL,
	"storage_key" text NOT NULL,
	"clock_offset_ms" bigint,
	"published" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_uploader_id_users_id_fk" FOREIGN KEY ("uploader_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "recordings_post_idx" ON "recordings" USING btree ("post_id");--> statement-breakpoint
CREATE INDEX "recordings_uploader_idx" ON "recordings" USING btree ("uploader_id");