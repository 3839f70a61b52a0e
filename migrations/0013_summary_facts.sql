DROP INDEX `cases_detected_idx`;--> statement-breakpoint
ALTER TABLE `cases` ADD `summary_department_id` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `first_response_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `final_answer_at` integer;--> statement-breakpoint
ALTER TABLE `deadlines` ADD `case_department_id` text;--> statement-breakpoint
UPDATE `cases` SET
  `summary_department_id` = coalesce(
    (SELECT a.department_id FROM assignments a WHERE a.case_id = cases.id AND a.role = 'responsible' AND a.status NOT IN ('returned', 'withdrawn') ORDER BY a.seq DESC LIMIT 1),
    (SELECT a.department_id FROM assignments a WHERE a.case_id = cases.id AND a.role = 'responsible' ORDER BY a.seq DESC LIMIT 1)),
  `first_response_at` = (SELECT min(p.at) FROM publications p WHERE p.case_id = cases.id AND p.kind IN ('final', 'intermediate')),
  `final_answer_at` = (SELECT min(p.at) FROM publications p WHERE p.case_id = cases.id AND p.kind = 'final');--> statement-breakpoint
UPDATE `deadlines` SET `case_department_id` = (SELECT c.summary_department_id FROM cases c WHERE c.id = deadlines.case_id);--> statement-breakpoint
CREATE INDEX `cases_first_response_idx` ON `cases` (`first_response_at`,`detected_at`,`summary_department_id`) WHERE first_response_at IS NOT final_answer_at;--> statement-breakpoint
CREATE INDEX `cases_final_answer_idx` ON `cases` (`final_answer_at`,`detected_at`,`summary_department_id`,`first_response_at`) WHERE final_answer_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `cases_detected_idx` ON `cases` (`detected_at`,`summary_department_id`,`repeat_of`,`topic`,`location`,`source_kind`);--> statement-breakpoint
CREATE INDEX `deadlines_answered_idx` ON `deadlines` (`closed_at`,`due_at`,`case_department_id`,`department_id`) WHERE kind = 'answer' AND status = 'met';--> statement-breakpoint
CREATE INDEX `deadlines_closed_late_idx` ON `deadlines` (`due_at`) WHERE status IN ('met', 'cancelled') AND closed_at > due_at;