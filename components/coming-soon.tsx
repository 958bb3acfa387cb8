import { ButtonLink } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";

/** Stands in for a page whose feature lands in a later step of the roadmap. */
export function ComingSoon({ title, text }: { title: string; text: string }) {
  return (
    <Card className="max-w-xl">
      <CardTitle>
        <span className="text-2xl">{title}</span>
      </CardTitle>
      <CardDescription>{text}</CardDescription>
      <ButtonLink href="/" variant="secondary" className="mt-6">
        Back to the start
      </ButtonLink>
    </Card>
  );
}
