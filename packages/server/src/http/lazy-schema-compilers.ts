// Route schemas compiled on a route's first request instead of at start-up (issue 11). Fastify compiles
// an Ajv validator and a fast-json-stringify serializer for every route with a schema when the app gets
// ready: for the admin API's ~60 operations that was ~300 ms of a 1.6 s start, for routes most instances
// never serve. The compilers are Fastify's own defaults with its options, so what each route accepts
// and sends is unchanged; only when the work happens moves. `compileAll` does it all at once, which a
// test runs so that a schema that does not compile still fails the build, not a first request.

import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
/** Both default factories, as Fastify calls them: (shared schemas, options) -> (route) -> function. */
type Factory<F> = (external: unknown, options: unknown) => (route: unknown) => F;
type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };
type Serialize = (data: unknown) => string;

export interface LazySchemaCompilers {
  compilersFactory: CompilersFactory;
  /** Compiles every route schema not compiled yet; throws what the first failing one throws. */
  compileAll(): void;
}

export function lazySchemaCompilers(): LazySchemaCompilers {
  const pending = new Set<() => unknown>();
  const buildValidator = AjvCompiler() as unknown as Factory<Validate>;
  const buildSerializer = SerializerSelector() as unknown as Factory<Serialize>;

  /** A thunk that compiles once, on its first call or in compileAll, whichever comes first. */
  function deferred<F>(compile: () => F): () => F {
    const get = once(() => {
      const compiled = compile();
      pending.delete(get);
      return compiled;
    });
    pending.add(get);
    return get;
  }

  const validatorFor = (compile: (route: unknown) => Validate) => (route: unknown) => {
    const get = deferred(() => compile(route));
    const validate: Validate = (data, context) => {
      const compiled = get();
      const result = compiled(data, context);
      // Fastify reads a failed validation's errors from the function it called.
      validate.errors = compiled.errors;
      return result;
    };
    // Fastify passes the parent object only to Ajv functions (marked by schemaEnv), so that Ajv can coerce
    // and default a root value; this wrapper is always an Ajv function underneath.
    validate.schemaEnv = true;
    return validate;
  };

  const serializerFor = (compile: (route: unknown) => Serialize) => (route: unknown) => {
    const get = deferred(() => compile(route));
    return (data: unknown) => get()(data);
  };

  return {
    // Even the factories run late: each makes an Ajv instance (compiling its meta-schemas) for a context.
    compilersFactory: {
      buildValidator: ((external, options) => {
        const compiler = once(() => buildValidator(external, options));
        return validatorFor((route) => compiler()(route));
      }) as Factory<Validate> as never,
      buildSerializer: ((external, options) => {
        const compiler = once(() => buildSerializer(external, options));
        return serializerFor((route) => compiler()(route));
      }) as Factory<Serialize> as never,
    },
    compileAll() {
      for (const get of [...pending]) get();
    },
  };
}

/** A thunk that runs `make` on its first call and returns that result from then on. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}
