CREATE TABLE `max_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mid` text NOT NULL,
	`chat_id` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `max_messages_mid_unique` ON `max_messages` (`mid`);--> statement-breakpoint
CREATE TABLE `max_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`update_key` text NOT NULL,
	`update` text NOT NULL,
	`received_at` integer NOT NULL,
	`handled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `max_updates_update_key_unique` ON `max_updates` (`update_key`);--> statement-breakpoint
CREATE INDEX `max_updates_pending_idx` ON `max_updates` (`handled_at`);--> statement-breakpoint
ALTER TABLE `staff` ADD `max_user_id` integer;--> statement-breakpoint
ALTER TABLE `staff` ADD `telegram_user_id` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `staff_max_user_id_unique` ON `staff` (`max_user_id`);