import { data } from "react-router";

/** Any unknown URL: the root error boundary renders the 404 page in the viewer's language. */
export function loader() {
  throw data(null, { status: 404 });
}

export default function NotFound() {
  return null;
}
