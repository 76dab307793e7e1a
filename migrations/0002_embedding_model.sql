-- The embedding model the vectors were made with. One row: vectors of different models are not
-- comparable, so a change of model is detected at open and `scai rag reindex` re-embeds.
CREATE TABLE IF NOT EXISTS rag_model (
  singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  model         text NOT NULL,
  dimension     integer NOT NULL CHECK (dimension > 0),
  -- NULL: no IVFFlat index; else the lists it was built with (probes follow from it).
  ivfflat_lists integer CHECK (ivfflat_lists IS NULL OR ivfflat_lists > 0),
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
