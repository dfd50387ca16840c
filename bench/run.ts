/**
 * `npm run bench`: runs every bench topic, or those named with `--only`.
 *
 *   npm run bench                         all topics, full size
 *   npm run bench -- --quick              all topics, small N (a smoke run, numbers are noisy)
 *   npm run bench -- --only runtime       one topic (comma-separate several)
 *   npm run bench -- --help               the flags of every topic
 *
 * A topic is a module with `options` (its own `parseArgs` flags) and `run()`, which prints its report and
 * returns false when a contender failed a check, and throws a {@link BenchOptionError} for a bad flag value. Adding a
 * topic is one line in `TOPICS`. Flags are parsed strictly against the union of every topic's flags, so a typo fails instead of
 * silently running the default.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import * as analyze from './analyze.js';
import { BenchOptionError } from './lib/options.js';
import * as lint from './lint.js';
import * as runtime from './runtime.js';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What every topic receives. */
export interface TopicContext {
  /** Small N and few repetitions: checks the harness, not the numbers. */
  readonly quick: boolean;
  /** The parsed values of the topic's own flags. */
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

/** A bench topic. */
export interface Topic {
  /** One line for `--help`. */
  readonly summary: string;
  readonly options: ParseArgsOptionsConfig;
  /** Prints the topic's report; resolves to false when any contender failed a check. */
  run(context: TopicContext): Promise<boolean>;
}

/**
 * Whether a topic's error is about its flags: printed as one line, exit 2, no stack. The lint and runtime topics throw plain errors in the same voice
 * (`bench: expected \`--flag\` …`), so the voice counts as well as the class.
 */
function isOptionError(error: unknown): error is Error {
  return error instanceof BenchOptionError || (error instanceof Error && /^bench: expected `--[\w-]+`/.test(error.message));
}

const TOPICS: Readonly<Record<string, Topic>> = { runtime, lint, analyze };

const common = {
  quick: { type: 'boolean', default: false },
  only: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const satisfies ParseArgsOptionsConfig;

function printHelp(): void {
  console.log('npm run bench -- [--quick] [--only <topic,...>] [topic flags]\n');
  for (const [name, topic] of Object.entries(TOPICS)) {
    console.log(`${name}: ${topic.summary}`);
    for (const [flag, config] of Object.entries(topic.options)) console.log(`  --${flag}${config.type === 'string' ? ' <value>' : ''}`);
  }
}

/** Resolves to the exit code: 0, 1 when a contender failed a check, 2 on a usage error. */
async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: Object.assign({}, ...Object.values(TOPICS).map((topic) => topic.options), common) as typeof common,
      strict: true,
    }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`bench: the arguments are not valid.\nReason: ${reason}\nRun \`npm run bench -- --help\` for the flags.`);
    return 2;
  }
  if (values.help) {
    printHelp();
    return 0;
  }
  const names = values.only?.split(',').map((name) => name.trim()) ?? Object.keys(TOPICS);
  const unknown = names.filter((name) => !(name in TOPICS));
  if (unknown.length > 0) {
    console.error(`bench: unknown topic \`${unknown.join('`, `')}\`. Known: ${Object.keys(TOPICS).join(', ')}.`);
    return 2;
  }
  let ok = true;
  for (const name of names) {
    try {
      if (!(await TOPICS[name]!.run({ quick: values.quick, values }))) ok = false;
    } catch (error) {
      if (!isOptionError(error)) throw error;
      console.error(error.message);
      return 2;
    }
  }
  return ok ? 0 : 1;
}

process.exitCode = await main();
