-- Global search runs here, with the owner's rights, because under row-level security the
-- planner may not use the full-text and trigram indexes: their operators are not
-- LEAKPROOF, so it must apply the tenant policy first and scan every row of the
-- organization (about a second at 100,000 contacts). The function filters by the same
-- transaction-local app.org_id the policies use, so it sees exactly what they allow.
CREATE OR REPLACE FUNCTION crm_search(q text, max_results integer, phone_e164 text, phone_digits text)
RETURNS TABLE (entity text, id uuid, title text, subtitle text, score double precision)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
SET pg_trgm.word_similarity_threshold = 0.5
AS $$
  SELECT entity, id, title, subtitle, max(score) AS score
  FROM (
    (SELECT 'contact' AS entity, c.id, trim(c.first_name || ' ' || c.last_name) AS title,
        nullif(concat_ws(' · ', c.title, co.name, c.email_addresses[1]), '') AS subtitle,
        ts_rank(c.search, websearch_to_tsquery('simple', sb_search_text(q)))
          + greatest(similarity(sb_search_text(c.first_name || ' ' || c.last_name), sb_search_text(q)),
                     word_similarity(sb_search_text(q), sb_search_text(c.first_name || ' ' || c.last_name))) AS score
      FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
      WHERE c.org_id = nullif(current_setting('app.org_id', true), '')::uuid
        AND c.deleted_at IS NULL
        AND (c.search @@ websearch_to_tsquery('simple', sb_search_text(q))
             OR sb_search_text(c.first_name || ' ' || c.last_name) % sb_search_text(q)
             OR sb_search_text(q) <% sb_search_text(c.first_name || ' ' || c.last_name))
      ORDER BY score DESC LIMIT max_results)
    UNION ALL
    (SELECT 'company', co.id, co.name, coalesce(co.domain, co.industry),
        ts_rank(co.search, websearch_to_tsquery('simple', sb_search_text(q)))
          + greatest(similarity(sb_search_text(co.name), sb_search_text(q)),
                     word_similarity(sb_search_text(q), sb_search_text(co.name))) AS score
      FROM companies co
      WHERE co.org_id = nullif(current_setting('app.org_id', true), '')::uuid
        AND co.deleted_at IS NULL
        AND (co.search @@ websearch_to_tsquery('simple', sb_search_text(q))
             OR sb_search_text(co.name) % sb_search_text(q)
             OR sb_search_text(q) <% sb_search_text(co.name))
      ORDER BY score DESC LIMIT max_results)
    UNION ALL
    (SELECT 'lead', l.id, l.title, concat_ws(' · ', l.status::text, l.source),
        ts_rank(l.search, websearch_to_tsquery('simple', sb_search_text(q)))
          + greatest(similarity(sb_search_text(l.title), sb_search_text(q)),
                     word_similarity(sb_search_text(q), sb_search_text(l.title))) AS score
      FROM leads l
      WHERE l.org_id = nullif(current_setting('app.org_id', true), '')::uuid
        AND l.deleted_at IS NULL
        AND (l.search @@ websearch_to_tsquery('simple', sb_search_text(q))
             OR sb_search_text(l.title) % sb_search_text(q)
             OR sb_search_text(q) <% sb_search_text(l.title))
      ORDER BY score DESC LIMIT max_results)
    UNION ALL
    (SELECT 'deal', d.id, d.title, s.name,
        ts_rank(d.search, websearch_to_tsquery('simple', sb_search_text(q)))
          + greatest(similarity(sb_search_text(d.title), sb_search_text(q)),
                     word_similarity(sb_search_text(q), sb_search_text(d.title))) AS score
      FROM deals d LEFT JOIN pipeline_stages s ON s.id = d.stage_id
      WHERE d.org_id = nullif(current_setting('app.org_id', true), '')::uuid
        AND d.deleted_at IS NULL
        AND (d.search @@ websearch_to_tsquery('simple', sb_search_text(q))
             OR sb_search_text(d.title) % sb_search_text(q)
             OR sb_search_text(q) <% sb_search_text(d.title))
      ORDER BY score DESC LIMIT max_results)
    UNION ALL
    (SELECT 'contact', c.id, trim(c.first_name || ' ' || c.last_name),
        nullif(concat_ws(' · ', c.title, co.name, c.email_addresses[1]), ''),
        CASE WHEN c.phone_numbers @> array[phone_e164] THEN 2.0 ELSE 1.5 END
      FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
      WHERE phone_digits IS NOT NULL
        AND c.org_id = nullif(current_setting('app.org_id', true), '')::uuid
        AND c.deleted_at IS NULL
        AND (c.phone_numbers @> array[phone_e164]
             OR EXISTS (SELECT 1 FROM unnest(c.phone_numbers) AS number
                        WHERE regexp_replace(number, '\D', '', 'g') LIKE '%' || phone_digits))
      ORDER BY 5 DESC LIMIT max_results)
  ) AS candidates
  GROUP BY entity, id, title, subtitle
  ORDER BY score DESC, title ASC
  LIMIT max_results
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION crm_search(text, integer, text, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION crm_search(text, integer, text, text) TO switchboard_app;
