CREATE TABLE `declared_days` (
	`date` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`note` text,
	`declared_by` integer,
	`declared_at` integer NOT NULL
);
