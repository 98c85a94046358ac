-- Search support for the CRM: trigram matching ("Jon Smiht" finds "John Smith") and
-- accent-insensitive text. Both extensions are trusted, so the database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
-- unaccent() is only STABLE (it reads its dictionary by name); pinning the dictionary makes
-- this wrapper safe to mark IMMUTABLE, so generated columns and indexes can use it.
CREATE OR REPLACE FUNCTION sb_search_text(value text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
STRICT
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
--> statement-breakpoint
-- array_to_string() is STABLE in general; for text[] it cannot change, so it may be IMMUTABLE.
CREATE OR REPLACE FUNCTION sb_words(value text[])
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
STRICT
AS $$ SELECT array_to_string(value, ' ') $$;
