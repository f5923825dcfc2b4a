"""Password hashing parameters."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class ChiboArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's recommended baseline (19 MiB, 2 passes, 1 lane): about 20 ms a
    hash here instead of ~130 ms with Django's defaults (100 MiB, 8 lanes), so that a
    morning's logins on a 2-core server do not queue behind each other. Same algorithm name:
    older hashes still verify and are re-hashed with these parameters at the next login."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
