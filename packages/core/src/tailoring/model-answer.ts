/** The JSON a model's answer carries, whatever service ran the model. */

const FENCE = "```";

/**
 * The JSON object in a model's reply: inside the first ``` fence that is
 * closed (```json or not), else anywhere in the reply; from the first `{` to
 * the last `}` of that text. What `/```(?:json|JSON)?\s*\n?([\s\S]*?)```/`
 * took as the fence's content, found by two searches instead (that pattern
 * reads the rest of the reply again from each opening fence: quadratic).
 * A reply without one is a SyntaxError, as unparsable JSON is.
 */
export const extractJson = (text: string): unknown => {
  const open = text.indexOf(FENCE);
  const close = open < 0 ? -1 : text.indexOf(FENCE, open + FENCE.length);
  // The fence's language tag and the blank space after it hold no brace: what follows is the same.
  const candidate = close < 0 ? text : text.slice(open + FENCE.length, close);
  const start = candidate.indexOf("{");
  const end = candidate.lastIndexOf("}");
  if (start < 0 || end <= start) throw new SyntaxError("the reply contains no JSON object");
  return JSON.parse(candidate.slice(start, end + 1));
};
