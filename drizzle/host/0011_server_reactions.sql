ALTER TABLE `messages` ADD `server_reactions` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
-- Until now the cache kept one copy, the server's with our unsent toggles on top: the best guess of the server's
-- word there is. The next row the server sends for a message replaces it.
UPDATE `messages` SET `server_reactions` = `reactions`;
