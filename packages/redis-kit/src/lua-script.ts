import { createHash } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';

/** A name ending in `...` takes a list: it must be the last of its kind. */
type BaseName<N extends string> = N extends `${infer B}...` ? B : N;
/** The values a call gives for `Names`: one each, or a list for a `name...`. */
export type Named<Names extends string, V> = {
  readonly [N in Names as BaseName<N>]: N extends `${string}...` ? readonly V[] : V;
};

export interface LuaScriptSpec<K extends string, A extends string> {
  /** The script's keys, by name, in KEYS order; the script reads them as `KEY.<name>`. */
  keys: readonly K[];
  /** Its arguments, by name, in ARGV order; the script reads them as `ARG.<name>`. */
  args: readonly A[];
  /** The Lua body. A `name...` is a Lua list (`KEY.rules[1]`, `#ARG.rules`). */
  source: string;
}

/**
 * A Lua script with named keys and arguments, run by SHA (EVALSHA) with a fallback to EVAL the
 * first time a Redis has not seen it, so the script text crosses the network once per server,
 * not per call. Call sites give objects of names, and the script reads the same names from the
 * `KEY` and `ARG` tables its preamble builds, so no side counts positions: KEYS and ARGV are laid
 * out here, in one place.
 */
export class LuaScript<const K extends string, const A extends string> {
  private readonly source: string;
  private readonly sha: string;

  constructor(private readonly spec: LuaScriptSpec<K, A>) {
    this.source = `${luaTable('KEY', 'KEYS', spec.keys)}\n${luaTable('ARG', 'ARGV', spec.args)}\n${spec.source}`;
    this.sha = createHash('sha1').update(this.source).digest('hex');
  }

  /** Makes sure `redis` holds the script, for {@link queue} (a MULTI cannot fall back to EVAL). */
  async load(redis: Redis): Promise<void> {
    await redis.script('LOAD', this.source);
  }

  /** Adds a call, by SHA, to a pipeline or MULTI; {@link load} it first. */
  queue(
    pipeline: ChainableCommander,
    keys: Named<K, string>,
    args: Named<A, string | number>,
  ): void {
    const keyList = flatten<string>(this.spec.keys, keys);
    pipeline.evalsha(
      this.sha,
      keyList.length,
      ...keyList,
      ...flatten<string | number>(this.spec.args, args),
    );
  }

  async run(
    redis: Redis,
    keys: Named<K, string>,
    args: Named<A, string | number>,
  ): Promise<unknown> {
    const keyList = flatten<string>(this.spec.keys, keys);
    const argList = flatten<string | number>(this.spec.args, args);
    try {
      return await redis.evalsha(this.sha, keyList.length, ...keyList, ...argList);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keyList.length, ...keyList, ...argList);
    }
  }
}

const LUA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `local KEY = {job = KEYS[1], rules = {unpack(KEYS, 2)}}`: names over positions. */
function luaTable(table: string, from: string, names: readonly string[]): string {
  const fields = names.map((name, i) => {
    const list = name.endsWith('...');
    const base = list ? name.slice(0, -3) : name;
    if (!LUA_NAME.test(base)) throw new Error(`Lua script name "${name}" is not a Lua name`);
    if (list && i !== names.length - 1) throw new Error(`"${name}" must come last`);
    return list ? `${base} = {unpack(${from}, ${i + 1})}` : `${base} = ${from}[${i + 1}]`;
  });
  return `local ${table} = {${fields.join(', ')}}`;
}

function flatten<V>(names: readonly string[], values: object): V[] {
  const byName = new Map(Object.entries(values) as Array<[string, V | readonly V[]]>);
  return names.flatMap((name) =>
    name.endsWith('...')
      ? [...((byName.get(name.slice(0, -3)) ?? []) as readonly V[])]
      : [byName.get(name) as V],
  );
}
