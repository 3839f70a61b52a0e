CREATE TABLE `message_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` integer NOT NULL,
	`n` integer NOT NULL,
	`source_key` text NOT NULL,
	`action` text NOT NULL,
	`text` text,
	`attachments` text,
	`raw` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_revisions_message_n_uq` ON `message_revisions` (`message_id`,`n`);