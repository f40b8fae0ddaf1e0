// Wraps a Kysely driver so that every query, connect and transaction command reports failures as
// store errors, and so SQLite write transactions can start with BEGIN IMMEDIATE: a plain BEGIN takes
// the write lock only at the first write, and if another connection committed in between SQLite fails
// with SQLITE_BUSY_SNAPSHOT at once instead of waiting out busy_timeout (SECURITY-MATRIX RL-12).
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { toStoreError } from './errors.ts';

const rethrowAsStoreError = (error: unknown): never => {
  throw toStoreError(error);
};

function guard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return run().then(undefined, rethrowAsStoreError);
  } catch (error) {
    // A driver that throws before it returns a promise.
    return Promise.reject(toStoreError(error));
  }
}

class GuardedConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Every query passes here (issue 8): guard is one then(), not async frames.
    return guard(() => this.inner.executeQuery<R>(query));
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

const unwrap = (connection: DatabaseConnection): DatabaseConnection =>
  connection instanceof GuardedConnection ? connection.inner : connection;

type Compile = QueryCompiler['compileQuery'];

class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly beginSql: string | undefined,
  ) {}

  init(): Promise<void> {
    return guard(() => this.inner.init());
  }

  acquireConnection(): Promise<DatabaseConnection> {
    // Once per query outside a transaction (issue 8): a then() rather than async frames.
    return guard(() => this.inner.acquireConnection()).then(
      (connection) => new GuardedConnection(connection),
    );
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const { beginSql } = this;
    return guard(async () => {
      if (beginSql === undefined) await this.inner.beginTransaction(unwrap(connection), settings);
      else await unwrap(connection).executeQuery(CompiledQuery.raw(beginSql));
    });
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return guard(() => this.inner.commitTransaction(unwrap(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return guard(() => this.inner.rollbackTransaction(unwrap(connection)));
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    await guard(async () => this.inner.savepoint?.(unwrap(connection), name, compile));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    await guard(async () => this.inner.rollbackToSavepoint?.(unwrap(connection), name, compile));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    await guard(async () => this.inner.releaseSavepoint?.(unwrap(connection), name, compile));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** `beginSql` replaces the dialect's own BEGIN (SQLite: `begin immediate`). */
export function guardDialect(inner: Dialect, beginSql?: string): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createDriver: () => new GuardedDriver(inner.createDriver(), beginSql),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
  };
}
