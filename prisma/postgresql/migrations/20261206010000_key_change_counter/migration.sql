-- The key change counter's table, so that both providers have the same schema. PostgreSQL does
-- not use it: its instances hear key changes on the key change bus (LISTEN/NOTIFY).
-- CreateTable
CREATE TABLE "KeyChangeCounter" (
    "id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "KeyChangeCounter_pkey" PRIMARY KEY ("id")
);
