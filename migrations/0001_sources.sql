CREATE TABLE `moderation_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`network` text NOT NULL,
	`action` text NOT NULL,
	`target_id` text NOT NULL,
	`owner_id` integer,
	`comment_id` integer,
	`reason_id` text,
	`vk_reason` integer,
	`end_date` integer,
	`comment` text,
	`case_id` integer,
	`staff_id` integer,
	`staff_name` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	`done_at` integer
);
--> statement-breakpoint
CREATE INDEX `moderation_target_idx` ON `moderation_actions` (`network`,`target_id`);--> statement-breakpoint
CREATE TABLE `source_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`event_key` text NOT NULL,
	`type` text NOT NULL,
	`via` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`note` text,
	`received_at` integer NOT NULL,
	`processed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `source_events_event_key_unique` ON `source_events` (`event_key`);--> statement-breakpoint
CREATE INDEX `source_events_status_idx` ON `source_events` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `vk_users` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`screen_name` text,
	`fetched_at` integer NOT NULL
);
