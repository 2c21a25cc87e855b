CREATE TABLE "live_blocked_terms" (
	"post_id" bigint NOT NULL,
	"term" text NOT NULL,
	"created_by" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "live_blocked_terms_post_id_term_pk" PRIMARY KEY("post_id","term")
);
--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "pinned_message_id" bigint;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "blocked_terms_revision" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "live_blocked_terms" ADD CONSTRAINT "live_blocked_terms_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_blocked_terms" ADD CONSTRAINT "live_blocked_terms_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;