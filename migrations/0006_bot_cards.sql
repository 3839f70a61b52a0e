CREATE TABLE `case_cards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`chat_id` integer NOT NULL,
	`staff_id` integer,
	`message_ids` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `case_cards_case_chat_uq` ON `case_cards` (`case_id`,`chat_id`);--> statement-breakpoint
CREATE INDEX `case_cards_chat_idx` ON `case_cards` (`chat_id`);--> statement-breakpoint
CREATE TABLE `invites` (
	`token` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`department_id` text,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_by` integer,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `invites_expires_idx` ON `invites` (`expires_at`);