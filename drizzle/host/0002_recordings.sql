CREATE TABLE `recordings` (
	`id` text PRIMARY KEY NOT NULL,
	`live_id` integer,
	`live_title` text,
	`started_at` text NOT NULL,
	`server_clock_offset_ms` real DEFAULT 0 NOT NULL,
	`mime` text NOT NULL,
	`ext` text NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	`next_seq` integer DEFAULT 0 NOT NULL,
	`duration_ms` integer,
	`status` text NOT NULL,
	`error` text,
	`pauses` text DEFAULT '[]' NOT NULL,
	`markers` text DEFAULT '[]' NOT NULL,
	`gaps` text DEFAULT '[]' NOT NULL,
	`ended_at` text
);
