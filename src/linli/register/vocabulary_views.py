"""The deployment's own register words: an administrator's page to add and remove them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from linli.accounts.roles import Can
from linli.common.views import requires

from .models import VocabularyField, VocabularyWord
from .selectors import deployment_vocabularies
from .services import VocabularyRefused, do_add_vocabulary_word, do_remove_vocabulary_word


@requires(Can.MANAGE_VOCABULARY)
def vocabulary(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST" and request.POST.get("remove"):
        word = get_object_or_404(VocabularyWord, pk=request.POST["remove"])
        do_remove_vocabulary_word(actor=request.user, word=word)
        return redirect("register:vocabulary")
    if request.method == "POST":
        try:
            do_add_vocabulary_word(
                actor=request.user,
                field=request.POST.get("field", ""),
                word=request.POST.get("word", ""),
                code=request.POST.get("code", ""),
            )
        except VocabularyRefused as refused:
            error = str(refused)
        else:
            return redirect("register:vocabulary")
    words = deployment_vocabularies()
    fields = [(value, label, getattr(words, value)) for value, label in VocabularyField.choices]
    context = {"fields": fields, "added": VocabularyWord.objects.all(), "error": error}
    return render(request, "register/vocabulary.html", context, status=400 if error else 200)
