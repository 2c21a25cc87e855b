CREATE TABLE `moderation_log_cache` (
	`server_key` text NOT NULL,
	`live_id` integer NOT NULL,
	`entries` text NOT NULL,
	`fetched_at` text NOT NULL,
	PRIMARY KEY(`server_key`, `live_id`)
);
--> statement-breakpoint
CREATE TABLE `moderation_outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`server_key` text NOT NULL,
	`live_id` integer NOT NULL,
	`actor_id` integer NOT NULL,
	`action` text NOT NULL,
	`message_id` integer,
	`message_client_id` text,
	`user_id` integer,
	`seconds` integer,
	`reason` text,
	`status` text NOT NULL,
	`error` text,
	`created_at` text NOT NULL,
	`applied_at` text
);
--> statement-breakpoint
CREATE INDEX `moderation_outbox_pending` ON `moderation_outbox` (`server_key`,`seq`) WHERE "moderation_outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `moderation_outbox_live` ON `moderation_outbox` (`server_key`,`live_id`,`seq`);