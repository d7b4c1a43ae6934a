from django.test import TestCase

from search.builtin import BuiltinBackend

from .contract import BackendContract


class BuiltinBackendTests(BackendContract, TestCase):
    @classmethod
    def make_backend(cls):
        return BuiltinBackend()
