"""The kinds of attachment file, one list for the link finder, the sniffer, the readers
and the spiders that fetch them; and the file-name extensions the text filters recognise."""
from __future__ import annotations

# what sniff_kind answers
SNIFFED_KINDS = ("pdf", "docx", "doc", "wps", "xlsx", "xls", "ofd", "zip", "html", "other")
# the kinds a reader turns into text: the ones worth fetching from a notice page
TEXT_KINDS = ("pdf", "docx", "doc", "wps", "xlsx", "xls", "ofd")
# file extensions a 附件 link or a download's file name ends with
LINK_EXTENSIONS = ("pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "ofd", "zip", "rar", "7z")
# every extension a file name on a page may end with: the attachments' and the other
# documents doc-sharing sites keep (slides, plain text). Text filters read these (a title
# that is a file name, a line that names a file); only LINK_EXTENSIONS are fetched.
FILE_EXTENSIONS = (*LINK_EXTENSIONS, "ppt", "pptx", "txt")
FILE_EXTENSION = "(?:" + "|".join(FILE_EXTENSIONS) + ")"
# extensions that name another kind: WPS's spreadsheet (.et) is an XLS, archives are archives
_SAME_AS = {"et": "xls", "rar": "zip", "7z": "zip", "htm": "html", "shtml": "html"}


def kind_of_extension(ext: str) -> str:
    """The attachment kind a file extension (no dot, any case) stands for."""
    ext = ext.lower()
    return _SAME_AS.get(ext, ext)

# each text kind's media type, as a download of the raw file is labelled; every other kind
# (an archive, an HTML page, an unknown file) is served as bytes a browser never renders
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "wps": "application/vnd.ms-works",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "ofd": "application/ofd",
    "zip": "application/zip",
}
OPAQUE_MEDIA_TYPE = "application/octet-stream"
