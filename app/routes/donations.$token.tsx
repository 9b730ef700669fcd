// placeholder created by the lead so typegen runs; the owning helper replaces this file
export default function Placeholder() {
  return null;
}
