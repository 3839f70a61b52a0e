DROP INDEX `audit_events_at_idx`;--> statement-breakpoint
DROP INDEX `messages_detected_idx`;--> statement-breakpoint
DROP INDEX `deadlines_staff_idx`;--> statement-breakpoint
CREATE INDEX `deadlines_staff_idx` ON `deadlines` (`staff_id`,`status`) WHERE staff_id IS NOT NULL;