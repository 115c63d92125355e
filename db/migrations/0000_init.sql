CREATE TABLE "service_starts" (
	"id" serial PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"hostname" text NOT NULL,
	"pid" integer NOT NULL,
	"version" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"message_id" text NOT NULL,
	"recipient" text NOT NULL,
	"case_ref" text,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"case_ref" text,
	"detail" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_roles" (
	"case_id" integer NOT NULL,
	"role" text NOT NULL,
	"person_id" text NOT NULL,
	CONSTRAINT "case_roles_case_id_role_pk" PRIMARY KEY("case_id","role")
);
--> statement-breakpoint
CREATE TABLE "case_steps" (
	"case_id" integer NOT NULL,
	"step_key" text NOT NULL,
	"step_id" text NOT NULL,
	"title" text NOT NULL,
	"role" text NOT NULL,
	"assignee_id" text,
	"status" text NOT NULL,
	"seq" integer NOT NULL,
	"due" text,
	"opened_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"completed_by" text,
	"completed_by_role" text,
	CONSTRAINT "case_steps_case_id_step_key_pk" PRIMARY KEY("case_id","step_key")
);
--> statement-breakpoint
CREATE TABLE "case_timers" (
	"case_id" integer NOT NULL,
	"key" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"action" jsonb NOT NULL,
	"status" text NOT NULL,
	"fired_at" timestamp with time zone,
	CONSTRAINT "case_timers_case_id_key_pk" PRIMARY KEY("case_id","key")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_ref" text NOT NULL,
	"routine_id" text NOT NULL,
	"routine_version" integer NOT NULL,
	"status" text NOT NULL,
	"client_initials" text NOT NULL,
	"pnr_cipher" text,
	"pnr_hash" text,
	"legal_basis" text,
	"provider" text,
	"unit" text,
	"area" text,
	"state" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cases_case_ref_unique" UNIQUE("case_ref")
);
--> statement-breakpoint
CREATE TABLE "conversation_refs" (
	"person_id" text PRIMARY KEY NOT NULL,
	"reference" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" text PRIMARY KEY NOT NULL,
	"aad_object_id" text,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"roles" text[] DEFAULT '{}' NOT NULL,
	"area" text,
	"manager_id" text,
	CONSTRAINT "people_aad_object_id_unique" UNIQUE("aad_object_id"),
	CONSTRAINT "people_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "substitutes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" text NOT NULL,
	"substitute_id" text NOT NULL,
	"from_date" text NOT NULL,
	"to_date" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"mailbox" text NOT NULL,
	"uid_validity" bigint NOT NULL,
	"uid" bigint NOT NULL,
	"message_id" text,
	"sha256" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"from_address" text,
	"outcome" text NOT NULL,
	"reason" text,
	"case_ref" text,
	"received_at" timestamp with time zone,
	"handled_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "internal_moves" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"vacancy_id" integer NOT NULL,
	"case_ref" text NOT NULL,
	"client_initials" text NOT NULL,
	"direct" boolean NOT NULL,
	"change_document_date" text,
	"status" text NOT NULL,
	"proposed_by" text NOT NULL,
	"planeringsledare_answer" text,
	"planeringsledare_id" text,
	"verksamhetschef_decision" text,
	"verksamhetschef_id" text,
	"move_date" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"vacancy_id" integer NOT NULL,
	"queue_entry_id" integer NOT NULL,
	"status" text NOT NULL,
	"reserved_by" text NOT NULL,
	"reserved_at" timestamp with time zone NOT NULL,
	"offered_by" text,
	"viewing_on" text,
	"answer_deadline" text,
	"answer_remind_at" timestamp with time zone,
	"decline_reason" text,
	"planned_move_in" text,
	"orders_sent_at" timestamp with time zone,
	"actual_move_in" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queue_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_ref" text NOT NULL,
	"client_initials" text NOT NULL,
	"kind" text NOT NULL,
	"decision_date" text NOT NULL,
	"legal_basis" text NOT NULL,
	"housing_kind" text NOT NULL,
	"area_wishes" text[] DEFAULT '{}' NOT NULL,
	"priority" integer DEFAULT 2 NOT NULL,
	"needs_investigation" boolean DEFAULT false NOT NULL,
	"change_document_date" text,
	"status" text NOT NULL,
	"declines" integer DEFAULT 0 NOT NULL,
	"registered_by" text NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"ended_by" text,
	"end_reason" text
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"area" text NOT NULL,
	"landlord_email" text NOT NULL,
	"manager_email" text,
	"care_emails" text[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vacancies" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"unit_id" text NOT NULL,
	"apartment" text NOT NULL,
	"housing_kind" text NOT NULL,
	"legal_basis" text NOT NULL,
	"area" text NOT NULL,
	"free_from" text NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"registered_by" text NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digest_days" (
	"day" text PRIMARY KEY NOT NULL,
	"completed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digests_sent" (
	"person_id" text NOT NULL,
	"day" text NOT NULL,
	"steps" integer NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "digests_sent_person_id_day_pk" PRIMARY KEY("person_id","day")
);
--> statement-breakpoint
CREATE TABLE "reminders_sent" (
	"case_id" integer NOT NULL,
	"step_key" text NOT NULL,
	"level" text NOT NULL,
	"recipient" text,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reminders_sent_case_id_step_key_level_pk" PRIMARY KEY("case_id","step_key","level")
);
--> statement-breakpoint
CREATE TABLE "step_reminders" (
	"case_id" integer NOT NULL,
	"step_key" text NOT NULL,
	"next_at" timestamp with time zone,
	"snooze_until" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "step_reminders_case_id_step_key_pk" PRIMARY KEY("case_id","step_key")
);
--> statement-breakpoint
CREATE TABLE "provider_assignments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_ref" text NOT NULL,
	"service" text NOT NULL,
	"provider_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"proposed_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "provider_inbox_tasks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_ref" text NOT NULL,
	"provider_id" text NOT NULL,
	"assignee_id" text,
	"message_id" text,
	"reason" text NOT NULL,
	"body" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" text
);
--> statement-breakpoint
CREATE TABLE "provider_rotation" (
	"service" text PRIMARY KEY NOT NULL,
	"last_provider_id" text,
	"version" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "providers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"services" text[] NOT NULL,
	"mailbox" text NOT NULL,
	"mail_domain" text NOT NULL,
	"takes_new_customers" boolean NOT NULL,
	"active" boolean NOT NULL,
	"position" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "providers_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "quarantined_bb" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"mailbox" text NOT NULL,
	"uid_validity" bigint NOT NULL,
	"uid" bigint NOT NULL,
	"message_id" text,
	"sha256" text NOT NULL,
	"raw" "bytea" NOT NULL,
	"from_address" text NOT NULL,
	"sender_person_id" text NOT NULL,
	"named_case_ref" text NOT NULL,
	"pnr_hash" text NOT NULL,
	"received_at" timestamp with time zone,
	"quarantined_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"linked_case_ref" text,
	"linked_by" text,
	"linked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "case_roles" ADD CONSTRAINT "case_roles_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_steps" ADD CONSTRAINT "case_steps_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_timers" ADD CONSTRAINT "case_timers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_refs" ADD CONSTRAINT "conversation_refs_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "substitutes" ADD CONSTRAINT "substitutes_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "substitutes" ADD CONSTRAINT "substitutes_substitute_id_people_id_fk" FOREIGN KEY ("substitute_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vacancies" ADD CONSTRAINT "vacancies_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders_sent" ADD CONSTRAINT "reminders_sent_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "step_reminders" ADD CONSTRAINT "step_reminders_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("channel","next_attempt_at") WHERE status in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "audit_log_case_idx" ON "audit_log" USING btree ("case_ref");--> statement-breakpoint
CREATE INDEX "case_roles_person_idx" ON "case_roles" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "case_steps_open_assignee_idx" ON "case_steps" USING btree ("assignee_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "case_steps_open_due_idx" ON "case_steps" USING btree ("due") WHERE status = 'open' and due is not null;--> statement-breakpoint
CREATE INDEX "case_timers_due_idx" ON "case_timers" USING btree ("due_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "cases_pnr_hash_idx" ON "cases" USING btree ("pnr_hash");--> statement-breakpoint
CREATE INDEX "people_manager_idx" ON "people" USING btree ("manager_id");--> statement-breakpoint
CREATE INDEX "substitutes_person_idx" ON "substitutes" USING btree ("person_id","from_date");--> statement-breakpoint
CREATE INDEX "substitutes_substitute_idx" ON "substitutes" USING btree ("substitute_id","from_date");--> statement-breakpoint
CREATE UNIQUE INDEX "substitutes_period_uq" ON "substitutes" USING btree ("person_id","substitute_id","from_date","to_date");--> statement-breakpoint
CREATE UNIQUE INDEX "mail_ledger_key_idx" ON "mail_ledger" USING btree ("mailbox","uid_validity","uid");--> statement-breakpoint
CREATE INDEX "mail_ledger_sha256_idx" ON "mail_ledger" USING btree ("mailbox","sha256");--> statement-breakpoint
CREATE INDEX "mail_ledger_message_id_idx" ON "mail_ledger" USING btree ("message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "internal_moves_open_uq" ON "internal_moves" USING btree ("vacancy_id") WHERE status in ('awaiting_planeringsledare', 'awaiting_verksamhetschef', 'approved');--> statement-breakpoint
CREATE UNIQUE INDEX "offers_live_vacancy_uq" ON "offers" USING btree ("vacancy_id") WHERE status in ('reserved', 'offered', 'accepted');--> statement-breakpoint
CREATE UNIQUE INDEX "offers_live_entry_uq" ON "offers" USING btree ("queue_entry_id") WHERE status in ('reserved', 'offered', 'accepted');--> statement-breakpoint
CREATE INDEX "offers_answer_remind_idx" ON "offers" USING btree ("answer_remind_at") WHERE answer_remind_at is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "queue_entries_active_uq" ON "queue_entries" USING btree ("case_ref","kind") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "vacancies_status_idx" ON "vacancies" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "vacancies_open_apartment_uq" ON "vacancies" USING btree ("unit_id","apartment") WHERE status <> 'occupied';--> statement-breakpoint
CREATE INDEX "step_reminders_next_idx" ON "step_reminders" USING btree ("next_at") WHERE next_at is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "provider_assignments_case_kind_uq" ON "provider_assignments" USING btree ("case_ref","kind");--> statement-breakpoint
CREATE INDEX "provider_inbox_tasks_open_idx" ON "provider_inbox_tasks" USING btree ("assignee_id") WHERE status = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "quarantined_bb_key_idx" ON "quarantined_bb" USING btree ("mailbox","uid_validity","uid");--> statement-breakpoint
CREATE INDEX "quarantined_bb_sender_idx" ON "quarantined_bb" USING btree ("sender_person_id","status");