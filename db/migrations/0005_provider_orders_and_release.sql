CREATE TABLE "provider_orders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_ref" text NOT NULL,
	"provider_id" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "quarantined_bb" ADD COLUMN "released_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "provider_orders_open_uq" ON "provider_orders" USING btree ("case_ref") WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "quarantined_bb_release_idx" ON "quarantined_bb" USING btree ("id") WHERE status = 'linked' and released_at is null;