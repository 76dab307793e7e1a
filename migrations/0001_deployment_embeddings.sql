-- Past deployments and their outcomes: what retrieval searches. The embedding column gets its
-- dimension when the store first records its embedding model (see 0002 and rag/model.ts), because
-- the dimension belongs to the model, not to the schema.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE IF NOT EXISTS deployment_embeddings (
  id                  bigserial PRIMARY KEY,
  -- Idempotency key of the record API: the deployment's UID and the decision's inputsHash.
  -- Seeded rows use 'seed:<id>' / 'seed', imported v1 rows 'v1:<id>' / the commit.
  deployment_uid      text NOT NULL,
  decision_hash       text NOT NULL,
  source              text NOT NULL DEFAULT 'controller' CHECK (source IN ('seed', 'import', 'controller')),
  deployment_name     text NOT NULL,
  namespace           text NOT NULL DEFAULT 'default',
  framework           text,
  language            text,
  strategy            text NOT NULL CHECK (strategy IN ('vm', 'kubernetes', 'serverless')),
  cloud               text NOT NULL CHECK (cloud IN ('aws', 'gcp')),
  region              text,
  -- Exactly the short text that was embedded, so a model change can re-embed without the source.
  content             text NOT NULL,
  embedding           vector,
  metadata            jsonb NOT NULL DEFAULT '{}'::jsonb,
  outcome             text NOT NULL CHECK (outcome IN ('success', 'failed', 'degraded')),
  cost_monthly        double precision CHECK (cost_monthly IS NULL OR cost_monthly >= 0),
  performance_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  user_feedback       integer NOT NULL DEFAULT 0,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT deployment_embeddings_record_key UNIQUE (deployment_uid, decision_hash)
);

-- The pre-filter of every retrieval: cloud and outcome first, then framework or language.
CREATE INDEX IF NOT EXISTS deployment_embeddings_filter_idx
  ON deployment_embeddings (cloud, outcome, framework, language);
