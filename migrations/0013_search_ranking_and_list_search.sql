-- E-mail fragments ("import-test" finds x@import-test.example) and phone digits ("7946 0000"
-- finds +442079460000) through one trigram index over a contact's addresses and numbers.
CREATE INDEX "contacts_channels_trgm_idx" ON "contacts" USING gin (sb_words("email_addresses" || "phone_numbers") gin_trgm_ops);--> statement-breakpoint
-- Global search, as in 0008 but: the query is normalised once (not per row); a name is ranked
-- by similarity + word similarity (their maximum tied every "Ella Mar..." at the word score,
-- so a misspelled name often lost its contact among look-alikes); leads also match on the
-- person, company and e-mail they carry; phone digits use the trigram index above instead of
-- reading every number of the organization, and also find leads.
CREATE OR REPLACE FUNCTION crm_search(q text, max_results integer, phone_e164 text, phone_digits text)
RETURNS TABLE (entity text, id uuid, title text, subtitle text, score double precision)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
SET pg_trgm.word_similarity_threshold = 0.5
AS $$
#variable_conflict use_column
DECLARE
  org uuid := nullif(current_setting('app.org_id', true), '')::uuid;
  needle text := sb_search_text(q);
  words tsquery := websearch_to_tsquery('simple', sb_search_text(q));
  -- digits inside one E.164 number (a number starts with '+'), at its end
  number_tail text := CASE WHEN phone_digits ~ '^[0-9]+$' THEN '\+[0-9]*' || phone_digits || '( |$)' END;
BEGIN
  IF org IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY
  SELECT c.entity, c.id, c.title, c.subtitle, max(c.score)::double precision AS score
  FROM (
    (SELECT 'contact' AS entity, ct.id, trim(ct.first_name || ' ' || ct.last_name) AS title,
        nullif(concat_ws(' · ', ct.title, co.name, ct.email_addresses[1]), '') AS subtitle,
        ts_rank(ct.search, words)
          + similarity(sb_search_text(ct.first_name || ' ' || ct.last_name), needle)
          + word_similarity(needle, sb_search_text(ct.first_name || ' ' || ct.last_name)) AS score
      FROM contacts ct LEFT JOIN companies co ON co.id = ct.company_id
      WHERE ct.org_id = org
        AND ct.deleted_at IS NULL
        AND (ct.search @@ words
             OR sb_search_text(ct.first_name || ' ' || ct.last_name) % needle
             OR needle <% sb_search_text(ct.first_name || ' ' || ct.last_name))
      ORDER BY score DESC LIMIT max_results)
    UNION ALL
    (SELECT 'company', co.id, co.name, coalesce(co.domain, co.industry),
        ts_rank(co.search, words)
          + similarity(sb_search_text(co.name), needle)
          + word_similarity(needle, sb_search_text(co.name)) AS score
      FROM companies co
      WHERE co.org_id = org
        AND co.deleted_at IS NULL
        AND (co.search @@ words
             OR sb_search_text(co.name) % needle
             OR needle <% sb_search_text(co.name))
      ORDER BY score DESC LIMIT max_results)
    UNION ALL
    (SELECT 'lead', l.id, l.title,
        nullif(concat_ws(' · ', nullif(trim(concat_ws(' ', l.first_name, l.last_name)), ''),
          l.company_name, l.status::text, l.source), ''),
        ts_rank(l.search, words)
          + similarity(sb_search_text(l.title), needle)
          + word_similarity(needle, sb_search_text(l.title)) AS score
      FROM leads l
      WHERE l.org_id = org
        AND l.deleted_at IS NULL
        AND (l.search @@ words
             OR sb_search_text(l.title) % needle
             OR needle <% sb_search_text(l.title))
      ORDER BY score DESC LIMIT max_results)
    UNION ALL
    (SELECT 'deal', d.id, d.title, s.name,
        ts_rank(d.search, words)
          + similarity(sb_search_text(d.title), needle)
          + word_similarity(needle, sb_search_text(d.title)) AS score
      FROM deals d LEFT JOIN pipeline_stages s ON s.id = d.stage_id
      WHERE d.org_id = org
        AND d.deleted_at IS NULL
        AND (d.search @@ words
             OR sb_search_text(d.title) % needle
             OR needle <% sb_search_text(d.title))
      ORDER BY score DESC LIMIT max_results)
    UNION ALL
    (SELECT 'contact', ct.id, trim(ct.first_name || ' ' || ct.last_name),
        nullif(concat_ws(' · ', ct.title, co.name, ct.email_addresses[1]), ''),
        CASE WHEN ct.phone_numbers @> array[phone_e164] THEN 4.0 ELSE 3.5 END
      FROM contacts ct LEFT JOIN companies co ON co.id = ct.company_id
      WHERE number_tail IS NOT NULL
        AND ct.org_id = org
        AND ct.deleted_at IS NULL
        AND (ct.phone_numbers @> array[phone_e164]
             OR sb_words(ct.email_addresses || ct.phone_numbers) ~ number_tail)
      ORDER BY 5 DESC LIMIT max_results)
    UNION ALL
    (SELECT 'lead', l.id, l.title,
        nullif(concat_ws(' · ', nullif(trim(concat_ws(' ', l.first_name, l.last_name)), ''),
          l.company_name, l.status::text, l.source), ''),
        CASE WHEN l.phone = phone_e164 THEN 4.0 ELSE 3.5 END
      FROM leads l
      WHERE number_tail IS NOT NULL
        AND l.org_id = org
        AND l.deleted_at IS NULL
        AND (l.phone = phone_e164
             OR (coalesce(l.email, '') || ' ' || coalesce(l.phone, '')) ~ number_tail)
      ORDER BY 5 DESC LIMIT max_results)
  ) AS c
  GROUP BY c.entity, c.id, c.title, c.subtitle
  ORDER BY 5 DESC, c.title ASC
  LIMIT max_results;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION crm_search(text, integer, text, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION crm_search(text, integer, text, text) TO switchboard_app;--> statement-breakpoint
-- List search (`q` on each list): the ids of the organization's records of one entity that
-- match, for `id IN (...)`. Like crm_search it runs with its owner's rights so the full-text
-- and trigram indexes apply (under row-level security their non-LEAKPROOF operators would
-- read every row of the organization), and filters by the same app.org_id. Soft-deleted rows
-- are included: the list decides (it also shows the bin). `words` is the caller's tsquery
-- (every word as a prefix, or the whole term); `fragment`, when given, is matched inside
-- e-mail addresses; `phone_e164` exactly and `phone_digits` inside phone numbers.
CREATE OR REPLACE FUNCTION crm_list_search(entity text, needle text, words tsquery, fragment text, phone_e164 text, phone_digits text)
RETURNS SETOF uuid
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
ROWS 200
AS $$
DECLARE
  org uuid := nullif(current_setting('app.org_id', true), '')::uuid;
  pattern text := CASE WHEN length(fragment) >= 3
    THEN '%' || replace(replace(replace(lower(fragment), '\', '\\'), '%', '\%'), '_', '\_') || '%' END;
  number_part text := CASE WHEN phone_digits ~ '^[0-9]{3,}$' THEN '\+[0-9]*' || phone_digits END;
BEGIN
  IF org IS NULL THEN
    RETURN;
  END IF;
  IF entity = 'contact' THEN
    RETURN QUERY
      SELECT c.id FROM contacts c WHERE c.org_id = org
        AND (c.search @@ words
             OR sb_search_text(c.first_name || ' ' || c.last_name) % needle
             OR needle <% sb_search_text(c.first_name || ' ' || c.last_name))
      UNION
      SELECT c.id FROM contacts c WHERE pattern IS NOT NULL AND c.org_id = org
        AND sb_words(c.email_addresses || c.phone_numbers) LIKE pattern
      UNION
      SELECT c.id FROM contacts c WHERE phone_e164 IS NOT NULL AND c.org_id = org
        AND c.phone_numbers @> array[phone_e164]
      UNION
      SELECT c.id FROM contacts c WHERE number_part IS NOT NULL AND c.org_id = org
        AND sb_words(c.email_addresses || c.phone_numbers) ~ number_part;
  ELSIF entity = 'company' THEN
    RETURN QUERY
      SELECT co.id FROM companies co WHERE co.org_id = org
        AND (co.search @@ words
             OR sb_search_text(co.name) % needle
             OR needle <% sb_search_text(co.name));
  ELSIF entity = 'lead' THEN
    RETURN QUERY
      SELECT l.id FROM leads l WHERE l.org_id = org
        AND (l.search @@ words
             OR sb_search_text(l.title) % needle
             OR needle <% sb_search_text(l.title))
      UNION
      SELECT l.id FROM leads l WHERE pattern IS NOT NULL AND l.org_id = org
        AND (coalesce(l.email, '') || ' ' || coalesce(l.phone, '')) LIKE pattern
      UNION
      SELECT l.id FROM leads l WHERE phone_e164 IS NOT NULL AND l.org_id = org
        AND l.phone = phone_e164
      UNION
      SELECT l.id FROM leads l WHERE number_part IS NOT NULL AND l.org_id = org
        AND (coalesce(l.email, '') || ' ' || coalesce(l.phone, '')) ~ number_part;
  ELSIF entity = 'deal' THEN
    RETURN QUERY
      SELECT d.id FROM deals d WHERE d.org_id = org
        AND (d.search @@ words
             OR sb_search_text(d.title) % needle
             OR needle <% sb_search_text(d.title));
  END IF;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION crm_list_search(text, text, tsquery, text, text, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION crm_list_search(text, text, tsquery, text, text, text) TO switchboard_app;
