CREATE TABLE `accounts` (
	`server_key` text PRIMARY KEY NOT NULL,
	`user` text NOT NULL,
	`token` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `lives` (
	`server_key` text NOT NULL,
	`id` integer NOT NULL,
	`data` text NOT NULL,
	`role` text,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`server_key`, `id`)
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`server_key` text NOT NULL,
	`live_id` integer NOT NULL,
	`client_id` text NOT NULL,
	`server_id` integer,
	`version` integer,
	`status` text NOT NULL,
	`reason` text,
	`author_id` integer NOT NULL,
	`author_first_name` text NOT NULL,
	`author_last_name` text NOT NULL,
	`author_picture` text,
	`content` text NOT NULL,
	`created_at` text NOT NULL,
	`hidden` integer DEFAULT false NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`held` integer DEFAULT false NOT NULL,
	`sort_key` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_author_client` ON `messages` (`server_key`,`author_id`,`client_id`);--> statement-breakpoint
CREATE INDEX `messages_live_order` ON `messages` (`server_key`,`live_id`,`sort_key`);--> statement-breakpoint
CREATE INDEX `messages_outbox` ON `messages` (`server_key`,`seq`) WHERE "messages"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `messages_client` ON `messages` (`client_id`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`server_key` text NOT NULL,
	`live_id` integer NOT NULL,
	`cursor` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`server_key`, `live_id`)
);
