"""Turn HTML on stdin into PDF on stdout under an address-space cap (run as a child process)."""

import resource
import sys


def main() -> int:
    """Cap memory first, then import WeasyPrint and render; fetch nothing but inline data."""
    limit = int(sys.argv[1]) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        import weasyprint
        from weasyprint.urls import URLFetcher

        html = sys.stdin.buffer.read().decode("utf-8")
        fetcher = URLFetcher(allowed_protocols=["data"], timeout=5)
        pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    except MemoryError:
        sys.stderr.write("memory cap reached\n")
        return 3
    sys.stdout.buffer.write(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
