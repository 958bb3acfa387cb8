/**
 * A server action's form. Anyone can call an action over HTTP with whatever arguments React's
 * wire format decodes to, so its `FormData` parameter may be a string, an object or missing:
 * anything but a form is read as an empty one, and meets the refusal an empty form gets.
 */
export function actionForm(value: unknown): FormData {
  return value instanceof FormData ? value : new FormData();
}
