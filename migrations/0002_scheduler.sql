CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`period` text NOT NULL,
	`status` text NOT NULL,
	`scheduled_for` integer NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`late` integer DEFAULT false NOT NULL,
	`attempts` integer DEFAULT 1 NOT NULL,
	`note` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_runs_uq` ON `job_runs` (`job`,`period`);--> statement-breakpoint
CREATE TABLE `reminder_marks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`deadline_seq` integer NOT NULL,
	`due_at` integer NOT NULL,
	`threshold` text NOT NULL,
	`due_to_send_at` integer NOT NULL,
	`sent_at` integer NOT NULL,
	`late` integer DEFAULT false NOT NULL,
	`recipients` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminder_marks_uq` ON `reminder_marks` (`case_id`,`deadline_seq`,`due_at`,`threshold`);--> statement-breakpoint
CREATE TABLE `spike_alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dimension` text NOT NULL,
	`value` text NOT NULL,
	`count` integer NOT NULL,
	`baseline_milli` integer NOT NULL,
	`case_ids` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer
);
--> statement-breakpoint
CREATE INDEX `spike_alerts_open_idx` ON `spike_alerts` (`dimension`,`value`,`ended_at`);--> statement-breakpoint
CREATE TABLE `violations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`deadline_seq` integer NOT NULL,
	`kind` text NOT NULL,
	`clause` text NOT NULL,
	`role` text,
	`staff_id` integer,
	`department_id` text,
	`due_at` integer NOT NULL,
	`breached_at` integer NOT NULL,
	`overdue_minutes` integer DEFAULT 0 NOT NULL,
	`resolved_at` integer,
	`digested_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `violations_deadline_uq` ON `violations` (`case_id`,`deadline_seq`,`due_at`);--> statement-breakpoint
CREATE INDEX `violations_breached_idx` ON `violations` (`breached_at`);--> statement-breakpoint
CREATE INDEX `violations_open_idx` ON `violations` (`resolved_at`);--> statement-breakpoint
CREATE INDEX `violations_digest_idx` ON `violations` (`digested_at`);