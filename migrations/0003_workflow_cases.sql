CREATE TABLE `assignments` (
	`case_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`department_id` text NOT NULL,
	`executor_id` integer,
	`role` text NOT NULL,
	`ord` integer NOT NULL,
	`status` text NOT NULL,
	`assigned_at` integer NOT NULL,
	`accepted_at` integer,
	`returned_at` integer,
	`return_reason` text,
	`substitute_for` integer,
	`part` text,
	PRIMARY KEY(`case_id`, `seq`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignments_executor_idx` ON `assignments` (`executor_id`,`status`);--> statement-breakpoint
CREATE INDEX `assignments_department_idx` ON `assignments` (`department_id`,`status`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`version` integer NOT NULL,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`actor_name` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`clause` text,
	`comment` text,
	`payload` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_events_case_version_uq` ON `audit_events` (`case_id`,`version`);--> statement-breakpoint
CREATE INDEX `audit_events_at_idx` ON `audit_events` (`at`);--> statement-breakpoint
CREATE TABLE `bans` (
	`case_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`author_external_id` text NOT NULL,
	`network` text NOT NULL,
	`reason_id` text NOT NULL,
	`comment` text,
	`until` integer,
	`at` integer NOT NULL,
	`by` integer,
	PRIMARY KEY(`case_id`, `seq`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `bans_author_idx` ON `bans` (`network`,`author_external_id`);--> statement-breakpoint
CREATE TABLE `case_messages` (
	`case_id` integer NOT NULL,
	`message_id` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`case_id`, `message_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_messages_message_idx` ON `case_messages` (`message_id`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` integer NOT NULL,
	`regulation_id` text NOT NULL,
	`status` text NOT NULL,
	`author` text,
	`source_kind` text,
	`network` text,
	`detected_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`topic` text,
	`location` text,
	`importance` text NOT NULL,
	`triaged` integer NOT NULL,
	`urgent` integer NOT NULL,
	`repeat_of` integer,
	`outside_body_id` text,
	`rejection_reason_id` text,
	`resolution_comment` text,
	`extension` text,
	`rework_from` text,
	`closed_at` integer,
	`version` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_number_unique` ON `cases` (`number`);--> statement-breakpoint
CREATE INDEX `cases_status_idx` ON `cases` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `cases_detected_idx` ON `cases` (`detected_at`);--> statement-breakpoint
CREATE TABLE `deadlines` (
	`case_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`clause` text NOT NULL,
	`role` text,
	`staff_id` integer,
	`department_id` text,
	`assignment_seq` integer,
	`starts_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`duration` text,
	`status` text NOT NULL,
	`closed_at` integer,
	`paused_at` integer,
	`paused_minutes` integer NOT NULL,
	PRIMARY KEY(`case_id`, `seq`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `deadlines_due_idx` ON `deadlines` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `deadlines_staff_idx` ON `deadlines` (`staff_id`,`status`);--> statement-breakpoint
CREATE TABLE `draft_comments` (
	`case_id` integer NOT NULL,
	`draft_seq` integer NOT NULL,
	`position` integer NOT NULL,
	`at` integer NOT NULL,
	`by` integer,
	`by_name` text NOT NULL,
	`stage` text NOT NULL,
	`verdict` text NOT NULL,
	`text` text,
	PRIMARY KEY(`case_id`, `draft_seq`, `position`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `draft_versions` (
	`case_id` integer NOT NULL,
	`draft_seq` integer NOT NULL,
	`n` integer NOT NULL,
	`text` text NOT NULL,
	`attachments` text NOT NULL,
	`at` integer NOT NULL,
	`by` integer,
	PRIMARY KEY(`case_id`, `draft_seq`, `n`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `drafts` (
	`case_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`promised_by` integer,
	`promised_conditions` text,
	`measures` text,
	PRIMARY KEY(`case_id`, `seq`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_key` text NOT NULL,
	`kind` text NOT NULL,
	`network` text NOT NULL,
	`thread_key` text,
	`author_external_id` text,
	`author_name` text NOT NULL,
	`author_profile_url` text,
	`text` text NOT NULL,
	`attachments` text NOT NULL,
	`permalink` text,
	`published_at` integer,
	`detected_at` integer NOT NULL,
	`raw` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_source_key_unique` ON `messages` (`source_key`);--> statement-breakpoint
CREATE INDEX `messages_thread_idx` ON `messages` (`thread_key`,`author_external_id`);--> statement-breakpoint
CREATE INDEX `messages_detected_idx` ON `messages` (`detected_at`);--> statement-breakpoint
CREATE TABLE `publications` (
	`case_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`draft_seq` integer NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	`by` integer,
	`external_id` text,
	`permalink` text,
	PRIMARY KEY(`case_id`, `seq`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `publications_at_idx` ON `publications` (`at`);