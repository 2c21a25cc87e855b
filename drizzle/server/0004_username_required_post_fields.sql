ALTER TABLE "users" ALTER COLUMN "username" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "content" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "stream_key" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "video_data" jsonb;