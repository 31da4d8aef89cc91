"""The project's vocabulary: each rule that several layers must read alike, written once.

One module per concept: the 文号 grammar (docnumber), draft and status words (status),
list-page dates and the TRS pager (listing), failure kinds (failures), and source kinds
with health states (sources). Extraction, storage, spiders and the sample renderer all
import from here, so this package imports only the standard library: nothing here may
depend on a layer that depends on it. (File-name extensions live with the attachment
kinds, crawler/extract/attachment/kinds.py; a Content-Type's charset is read in
crawler/extract/decode.py.)
"""
