CREATE TABLE "moderation_action_ids" (
	"actor_id" bigint NOT NULL,
	"client_action_id" uuid NOT NULL,
	"post_id" bigint NOT NULL,
	"action" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "moderation_action_ids_actor_id_client_action_id_pk" PRIMARY KEY("actor_id","client_action_id")
);
--> statement-breakpoint
ALTER TABLE "moderation_action_ids" ADD CONSTRAINT "moderation_action_ids_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_action_ids" ADD CONSTRAINT "moderation_action_ids_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;