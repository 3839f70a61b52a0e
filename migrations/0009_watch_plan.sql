CREATE TABLE `watch_plan` (
	`case_id` integer NOT NULL,
	`deadline_seq` integer NOT NULL,
	`due_at` integer NOT NULL,
	`next_at` integer NOT NULL,
	PRIMARY KEY(`case_id`, `deadline_seq`)
);
--> statement-breakpoint
CREATE INDEX `watch_plan_next_idx` ON `watch_plan` (`next_at`);