CREATE TABLE "mail_attempts" (
	"mailbox" text NOT NULL,
	"uid_validity" bigint NOT NULL,
	"uid" bigint NOT NULL,
	"attempts" integer NOT NULL,
	"last_attempt_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "mail_attempts_key_idx" ON "mail_attempts" USING btree ("mailbox","uid_validity","uid");