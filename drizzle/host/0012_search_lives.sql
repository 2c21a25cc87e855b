CREATE TABLE `search_lives` (
	`server_key` text NOT NULL,
	`live_id` integer NOT NULL,
	`indexed_seq` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`server_key`, `live_id`)
);
