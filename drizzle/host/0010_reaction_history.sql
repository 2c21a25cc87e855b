CREATE TABLE `reaction_history` (
	`server_key` text NOT NULL,
	`id` integer NOT NULL,
	`live_id` integer NOT NULL,
	`message_server_id` integer NOT NULL,
	`emoji` text NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`given_at` text NOT NULL,
	`taken_at` text,
	PRIMARY KEY(`server_key`, `id`)
);
--> statement-breakpoint
CREATE INDEX `reaction_history_message` ON `reaction_history` (`server_key`,`message_server_id`);--> statement-breakpoint
CREATE INDEX `reaction_history_live` ON `reaction_history` (`server_key`,`live_id`);--> statement-breakpoint
CREATE TABLE `reaction_history_state` (
	`server_key` text NOT NULL,
	`live_id` integer NOT NULL,
	`as_of` text NOT NULL,
	PRIMARY KEY(`server_key`, `live_id`)
);
