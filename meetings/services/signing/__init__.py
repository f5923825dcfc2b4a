"""Digital signatures of sealed minutes (issue 18): certificates kept per user, PAdES
signing with pyHanko, offline verification. See deploy/OPERATIONS.md, "Chữ ký số"."""
