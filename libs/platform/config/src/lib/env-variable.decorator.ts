import 'reflect-metadata';

export interface EnvVariableOptions {
  /** The environment variable's name, e.g. `DATABASE_URL`. */
  name: string;
  /** One line for `.env.example` and for error messages. */
  description: string;
  /** Never printed: masked in logs, in error messages and in `.env.example`. */
  secret?: boolean;
  /** Shown in `.env.example` instead of the default (for secrets and required values). */
  example?: string;
}

export interface EnvVariableDefinition extends EnvVariableOptions {
  property: string;
  type: 'string' | 'number' | 'boolean' | 'string[]';
}

const definitionsByClass = new WeakMap<object, EnvVariableDefinition[]>();

function typeOf(target: object, property: string): EnvVariableDefinition['type'] {
  const designType: unknown = Reflect.getMetadata('design:type', target, property);
  if (designType === Number) return 'number';
  if (designType === Boolean) return 'boolean';
  if (designType === Array) return 'string[]';
  return 'string';
}

/** Binds a config property to an environment variable. */
export function EnvVariable(options: EnvVariableOptions): PropertyDecorator {
  return (target, propertyKey) => {
    const property = String(propertyKey);
    const own = definitionsByClass.get(target.constructor) ?? [];
    own.push({ ...options, property, type: typeOf(target, property) });
    definitionsByClass.set(target.constructor, own);
  };
}

/** Every variable of a config class, inherited ones first. */
export function envVariablesOf(configClass: abstract new () => object): EnvVariableDefinition[] {
  const chain: object[] = [];
  for (let c: unknown = configClass; typeof c === 'function' && c !== Function.prototype;) {
    chain.unshift(c);
    c = Object.getPrototypeOf(c);
  }
  return chain.flatMap((c) => definitionsByClass.get(c) ?? []);
}
