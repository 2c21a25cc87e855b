DROP INDEX `messages_author_client`;--> statement-breakpoint
DROP INDEX `messages_client`;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_client_author` ON `messages` (`server_key`,`client_id`,`author_id`);