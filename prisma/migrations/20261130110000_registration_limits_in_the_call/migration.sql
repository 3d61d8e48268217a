-- A registration's defences counted in the call that places its order (issue 15): one round trip fewer on every
-- public registration, two with the proof-of-work challenge on.

-- Counts one more attempt against a key in a fixed window; true while within the limit. The one home of the rule:
-- lib/rate-limit/consume.ts calls it, and so does the placement below. One statement, so attempts counted on
-- several instances at once are all counted.
CREATE FUNCTION guichet_consume_rate_limit(p_key text, p_limit integer, p_window_seconds integer, p_now timestamptz)
RETURNS boolean LANGUAGE sql AS $$
  INSERT INTO "RateLimit" (key, "windowStart", count) VALUES (p_key, p_now, 1)
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN "RateLimit"."windowStart" <= p_now - p_window_seconds * interval '1 second' THEN 1
                 ELSE "RateLimit".count + 1 END,
    "windowStart" = CASE WHEN "RateLimit"."windowStart" <= p_now - p_window_seconds * interval '1 second' THEN p_now
                         ELSE "RateLimit"."windowStart" END
  RETURNING count <= p_limit
$$;

-- Spends p's limits in order (p->'limits': key, limit, windowSeconds, and the refusal its excess answers), then
-- places the order as guichet_place_order does. The limits stay spent when the placement is refused (sold out,
-- already registered...), as they were when counted in a statement of their own: the placement runs in a block
-- of its own, and its refusals come back as {"refused": SQLSTATE, "message": ...} instead of an error.
CREATE FUNCTION guichet_place_order_within_limits(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  l jsonb;
BEGIN
  FOR l IN SELECT * FROM jsonb_array_elements(coalesce(p->'limits', '[]')) LOOP
    IF NOT guichet_consume_rate_limit(l->>'key', (l->>'limit')::integer, (l->>'windowSeconds')::integer,
                                      (p->>'now')::timestamptz) THEN
      RETURN jsonb_build_object('refused', l->>'refusal');
    END IF;
  END LOOP;
  BEGIN
    RETURN guichet_place_order(p);
  EXCEPTION WHEN SQLSTATE 'GS001' OR SQLSTATE 'GS002' OR SQLSTATE 'GS003' OR SQLSTATE 'GS004' OR SQLSTATE 'GS005' THEN
    RETURN jsonb_build_object('refused', SQLSTATE, 'message', SQLERRM);
  END;
END $$;
