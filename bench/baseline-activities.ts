/** The baseline's activity: does nothing, so its cost is Temporal's own (scheduling, history, task round trips). */
export function createBaselineActivities() {
  return {
    async noop(label: string): Promise<string> {
      return label;
    },
  };
}
export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
