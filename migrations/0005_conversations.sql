CREATE TABLE `conversations` (
	`chat_id` integer PRIMARY KEY NOT NULL,
	`staff_id` integer,
	`kind` text NOT NULL,
	`case_id` integer,
	`data` text DEFAULT '{}' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conversations_case_idx` ON `conversations` (`case_id`);