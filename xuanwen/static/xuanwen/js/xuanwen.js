// The pages' own behaviour, delegated from the document so that it also works on what htmx
// swaps in later. The Content-Security-Policy allows scripts from this site only: no inline
// <script>, no onclick=/onsubmit= handlers, no eval. Behaviour is declared in the markup with
// data- attributes and lives here.
"use strict";

// <form data-confirm="确定删除？"> (or a submit button with data-confirm) asks before it is
// sent; answering no keeps the page as it is. A form sent through htmx asks with hx-confirm
// instead, since htmx takes the submit before it reaches the document.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var question =
    (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
