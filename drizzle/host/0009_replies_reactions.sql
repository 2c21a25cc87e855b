CREATE TABLE `reaction_outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`server_key` text NOT NULL,
	`live_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`message_client_id` text NOT NULL,
	`emoji` text NOT NULL,
	`on` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`reason` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reaction_outbox_target` ON `reaction_outbox` (`server_key`,`author_id`,`message_client_id`,`emoji`);--> statement-breakpoint
ALTER TABLE `messages` ADD `type` text DEFAULT 'text' NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `reply_to_server_id` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `reply_to_client_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `reactions` text DEFAULT '[]' NOT NULL;