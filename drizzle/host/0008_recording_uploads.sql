ALTER TABLE `recordings` ADD `upload_state` text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE `recordings` ADD `uploaded_bytes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `recordings` ADD `upload_error` text;--> statement-breakpoint
ALTER TABLE `recordings` ADD `uploaded_at` text;