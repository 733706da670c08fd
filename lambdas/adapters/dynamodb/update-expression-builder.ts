/**
 * Builds one UpdateItem's expressions with every attribute name behind a placeholder (`status`,
 * `type` and `name` are reserved words) and every value numbered. Undefined values are skipped, so
 * that optional changes can be passed straight through.
 */
export class UpdateExpressionBuilder {
  private readonly names: Record<string, string> = {};
  private readonly values: Record<string, unknown> = {};
  private readonly sets: string[] = [];
  private readonly removes: string[] = [];
  private valueCount = 0;

  /** The placeholder of an attribute name, for conditions. */
  name(attribute: string): string {
    const placeholder = `#${attribute}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }

  /** The placeholder of a value, for conditions. */
  value(value: unknown): string {
    const placeholder = `:v${this.valueCount}`;
    this.valueCount += 1;
    this.values[placeholder] = value;
    return placeholder;
  }

  set(attribute: string, value: unknown): this {
    if (value !== undefined) this.sets.push(`${this.name(attribute)} = ${this.value(value)}`);
    return this;
  }

  /** Keeps the stored value when there is one (for upserts that must not reset `claimedAt`). */
  setIfNotExists(attribute: string, value: unknown): this {
    const name = this.name(attribute);
    this.sets.push(`${name} = if_not_exists(${name}, ${this.value(value)})`);
    return this;
  }

  increment(attribute: string, by = 1): this {
    const name = this.name(attribute);
    this.sets.push(`${name} = if_not_exists(${name}, ${this.value(0)}) + ${this.value(by)}`);
    return this;
  }

  remove(attribute: string): this {
    this.removes.push(this.name(attribute));
    return this;
  }

  build(condition: string): {
    UpdateExpression: string;
    ConditionExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
  } {
    const clauses = [
      this.sets.length > 0 ? `SET ${this.sets.join(', ')}` : '',
      this.removes.length > 0 ? `REMOVE ${this.removes.join(', ')}` : '',
    ].filter((clause) => clause !== '');
    return {
      UpdateExpression: clauses.join(' '),
      ConditionExpression: condition,
      ExpressionAttributeNames: { ...this.names },
      ExpressionAttributeValues: { ...this.values },
    };
  }
}
