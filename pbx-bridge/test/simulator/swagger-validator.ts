import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/*
 * A small validator for the models of Swagger 1.2 description files (Asterisk's ARI docs):
 * required properties, property types (primitives, Date, object, List[...], nested models),
 * `allowableValues` (LIST and RANGE), no properties the model does not declare, and model
 * inheritance through `subTypes` (an event also carries Event's and Message's properties).
 */

interface AllowableValues {
  valueType: "LIST" | "RANGE";
  values?: string[];
  min?: number;
  max?: number;
}

interface PropertySpec {
  type: string;
  required?: boolean;
  allowableValues?: AllowableValues;
}

interface ModelSpec {
  id: string;
  properties?: Record<string, PropertySpec>;
  subTypes?: string[];
}

interface OperationSpec {
  httpMethod: string;
  responseClass?: string;
  errorResponses?: { code: number; reason: string }[];
}

interface ApiDeclaration {
  resourcePath: string;
  apis: { path: string; operations: OperationSpec[] }[];
  models?: Record<string, ModelSpec>;
}

/** The description files next to the repository: <repo>/../shared/reference/asterisk-ari. */
export const ARI_SPEC_DIR = path.resolve(
  import.meta.dirname,
  "../../..",
  "../shared/reference/asterisk-ari",
);

export class SwaggerModels {
  private readonly models = new Map<string, ModelSpec>();
  private readonly parents = new Map<string, string>();
  private readonly operations = new Map<string, OperationSpec>();

  static load(directory: string = ARI_SPEC_DIR): SwaggerModels {
    const declarations = readdirSync(directory)
      .filter((file) => file.endsWith(".json") && file !== "resources.json")
      .map(
        (file) => JSON.parse(readFileSync(path.join(directory, file), "utf8")) as ApiDeclaration,
      );
    return new SwaggerModels(declarations);
  }

  constructor(declarations: ApiDeclaration[]) {
    for (const declaration of declarations) {
      for (const model of Object.values(declaration.models ?? {})) this.addModel(model);
      for (const api of declaration.apis) {
        for (const operation of api.operations) {
          this.operations.set(`${operation.httpMethod} ${api.path}`, operation);
        }
      }
    }
  }

  hasModel(id: string): boolean {
    return this.models.has(id);
  }

  /** The operation for `METHOD /path/{param}` as written in the description files. */
  operation(method: string, specPath: string): OperationSpec {
    const operation = this.operations.get(`${method} ${specPath}`);
    if (!operation) throw new Error(`No operation ${method} ${specPath} in the description files`);
    return operation;
  }

  /** The error codes the description files document for an operation. */
  documentedErrors(method: string, specPath: string): number[] {
    return (this.operation(method, specPath).errorResponses ?? []).map((error) => error.code);
  }

  /** Problems with a REST answer body, checked against the operation's responseClass. */
  validateResponse(method: string, specPath: string, body: unknown): string[] {
    const responseClass = this.operation(method, specPath).responseClass ?? "void";
    if (responseClass === "void") {
      return body === undefined ? [] : [`expected no body, got ${JSON.stringify(body)}`];
    }
    return this.validateType(responseClass, body, "$");
  }

  /** Problems with a WebSocket event: a subtype of Event, validated as its `type` model. */
  validateEvent(event: unknown): string[] {
    if (!isObject(event) || typeof event.type !== "string") return ["$: not an event object"];
    if (!this.ancestors(event.type).includes("Event")) {
      return [`$.type: ${event.type} is not an Event model`];
    }
    return this.validateModel(event.type, event, "$");
  }

  /** Problems with `value` as an instance of `modelId` (empty when valid). */
  validateModel(modelId: string, value: unknown, where = "$"): string[] {
    if (!isObject(value)) return [`${where}: expected a ${modelId} object`];
    const properties = this.allProperties(modelId);
    const problems: string[] = [];
    for (const [name, spec] of Object.entries(properties)) {
      if (value[name] === undefined) {
        if (spec.required) problems.push(`${where}.${name}: required by ${modelId}, missing`);
        continue;
      }
      problems.push(...this.validateProperty(spec, value[name], `${where}.${name}`));
    }
    for (const name of Object.keys(value)) {
      if (!(name in properties)) problems.push(`${where}.${name}: not a property of ${modelId}`);
    }
    return problems;
  }

  private addModel(model: ModelSpec): void {
    this.models.set(model.id, model);
    for (const subType of model.subTypes ?? []) this.parents.set(subType, model.id);
  }

  /** The model and its parents, nearest first (StasisStart, Event, Message). */
  private ancestors(modelId: string): string[] {
    const chain: string[] = [];
    for (
      let id: string | undefined = modelId;
      id && this.models.has(id);
      id = this.parents.get(id)
    ) {
      chain.push(id);
    }
    return chain;
  }

  private allProperties(modelId: string): Record<string, PropertySpec> {
    const chain = this.ancestors(modelId);
    if (chain.length === 0) throw new Error(`Unknown model ${modelId}`);
    return Object.assign({}, ...chain.reverse().map((id) => this.models.get(id)?.properties ?? {}));
  }

  private validateProperty(spec: PropertySpec, value: unknown, where: string): string[] {
    const typeProblems = this.validateType(spec.type, value, where);
    if (typeProblems.length > 0 || !spec.allowableValues) return typeProblems;
    return checkAllowable(spec.allowableValues, value, where);
  }

  private validateType(type: string, value: unknown, where: string): string[] {
    const listOf = /^List\[(.+)\]$/.exec(type)?.[1];
    if (listOf) {
      if (!Array.isArray(value)) return [`${where}: expected ${type}`];
      return value.flatMap((item, index) => this.validateType(listOf, item, `${where}[${index}]`));
    }
    const primitive = PRIMITIVES[type];
    if (primitive)
      return primitive(value) ? [] : [`${where}: expected ${type}, got ${JSON.stringify(value)}`];
    if (this.models.has(type)) return this.validateModel(type, value, where);
    return [`${where}: unknown type ${type} in the description files`];
  }
}

/** ISO 8601 date-times, incl. Asterisk's `2024-05-01T10:00:00.123+0000`. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

const PRIMITIVES: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === "string",
  boolean: (value) => typeof value === "boolean",
  int: (value) => Number.isInteger(value),
  long: (value) => Number.isInteger(value),
  double: (value) => typeof value === "number",
  float: (value) => typeof value === "number",
  Date: (value) => typeof value === "string" && DATE_TIME.test(value),
  object: isObject,
};

function checkAllowable(allowable: AllowableValues, value: unknown, where: string): string[] {
  if (allowable.valueType === "LIST") {
    const values = allowable.values ?? [];
    return values.includes(String(value))
      ? []
      : [`${where}: ${String(value)} not in ${values.join("|")}`];
  }
  const number = Number(value);
  if (allowable.min !== undefined && number < allowable.min)
    return [`${where}: below ${allowable.min}`];
  if (allowable.max !== undefined && number > allowable.max)
    return [`${where}: above ${allowable.max}`];
  return [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
