ALTER TABLE `recordings` ADD `server_key` text;--> statement-breakpoint
-- Recordings made before the key was kept: the server whose cache holds most of that live's chat.
UPDATE `recordings` SET `server_key` = (
  SELECT `server_key` FROM `messages` WHERE `messages`.`live_id` = `recordings`.`live_id`
  GROUP BY `server_key` ORDER BY count(*) DESC LIMIT 1
) WHERE `live_id` IS NOT NULL;
