CREATE TABLE `sent_messages` (
	`chat_id` integer NOT NULL,
	`message_id` integer NOT NULL,
	`case_id` integer,
	`media` integer DEFAULT false NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`chat_id`, `message_id`)
);
